FROM node:22 AS build
WORKDIR /app
COPY package*.json ./
# Build stages are not the runtime image.
RUN npm ci
COPY . .
RUN npm run build

FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json yarn.lock ./
# want +1 DF037 "`npm ci --omit=dev` leaves the npm cache in the final image's layer"
RUN npm ci --omit=dev
# One finding per RUN.
# want +2 DF037 "`yarn install --production --frozen-lockfile` leaves the yarn cache"
RUN apt-get update && \
    yarn install --production --frozen-lockfile && \
    yarn add sharp
# want +1 DF037 "`npm install -g pm2@5` leaves the npm cache"
RUN npm install -g pm2@5
# Cleaning in a later RUN does not shrink the earlier layer.
RUN npm cache clean --force
# A cache mount elsewhere than the package cache does not help.
# want +1 DF037 "`pnpm install --prod --frozen-lockfile` leaves the pnpm cache"
RUN --mount=type=bind,source=pnpm-lock.yaml,target=pnpm-lock.yaml pnpm install --prod --frozen-lockfile
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
