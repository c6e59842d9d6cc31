ARG NODE_VERSION=20.18.1
# want +1 DF005 "`node:20.18.1-bookworm-slim`: node 20 reached end-of-life on 2026-04-30"
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

# Codename tags resolve to their major.
# want +1 DF005 "node 18 reached end-of-life on 2025-04-30"
FROM node:hydrogen-alpine AS build
WORKDIR /app
RUN npm ci && npm run build

# want +1 DF005 "node 25 reached end-of-life on 2026-06-01 \\(an odd line that never became LTS\\)"
FROM node:25-slim AS experiment

# want +1 DF005 "`mcr.microsoft.com/devcontainers/typescript-node:1-20-bookworm`: node 20 reached"
FROM mcr.microsoft.com/devcontainers/typescript-node:1-20-bookworm AS devcontainer

# want +1 DF005 "`cimg/node:16.20`: node 16 reached end-of-life on 2023-09-11"
FROM cimg/node:16.20 AS ci

# want +1 DF005 "`gcr.io/distroless/nodejs:14`: node 14 reached"
FROM gcr.io/distroless/nodejs:14 AS old-distroless

# want +1 DF005 "`gcr.io/distroless/nodejs18-debian12`: node 18 reached end-of-life"
FROM gcr.io/distroless/nodejs18-debian12
COPY --from=deps /app/node_modules /app/node_modules
COPY --from=build /app/dist /app/dist
CMD ["/app/dist/server.js"]
