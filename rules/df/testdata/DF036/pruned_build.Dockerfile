# devDependencies are pruned, but the build directory still holds the sources.
FROM node:22 AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
RUN npm ci && npm run build && npm prune --omit=dev

FROM node:22-slim
WORKDIR /app
# want +1 DF036 "whole working directory of stage \"build\", bringing the sources next to the build output$"
COPY --from=build /app /app
CMD ["node", "dist/server.js"]
