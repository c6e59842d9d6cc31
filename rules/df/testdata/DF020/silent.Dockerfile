FROM node:22 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
# Global tools and named packages are not the project's dependency install.
RUN npm install -g pm2

FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY --from=build /app/dist ./dist
# Copying a whole stage is not copying the build context.
COPY --from=build /app .
RUN npm install express
CMD ["node", "dist/server.js"]

# Installed before the broad COPY; the install after it prunes devDependencies.
FROM node:22 AS pruned
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
RUN yarn install --production --frozen-lockfile
