# Near miss: the build stage prunes devDependencies and removes the sources.
FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build && npm prune --omit=dev && rm -rf src .next/cache

FROM node:22-slim
WORKDIR /app
COPY --from=build /app ./
CMD ["node", "dist/server.js"]
