# syntax=docker/dockerfile:1
ARG NODE=22
FROM node:${NODE}-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# want +1 DF004 "the final stage runs on the full image `node:22`: compilers"
FROM node:22
WORKDIR /app
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/server.js"]
