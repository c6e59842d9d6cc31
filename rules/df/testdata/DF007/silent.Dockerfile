FROM node:22 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:22-slim AS runtime
ARG NODE_ENV
ENV NODE_ENV=${NODE_ENV}
WORKDIR /app
COPY package*.json ./
RUN npm ci
RUN npm ci --omit=dev
RUN npm install --only=production
RUN yarn install --production --frozen-lockfile
RUN pnpm install --prod --frozen-lockfile
RUN npm install -g pm2@5
RUN npm install express
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
