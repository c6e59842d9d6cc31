ARG NODE=22
FROM node:${NODE} AS build
WORKDIR /app
# curl installed in the build stage is not in the runtime image.
RUN apt-get update && apt-get install -y curl
RUN npm ci && npm run build

FROM node:${NODE}-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s \
    --start-period=10s \
# want +1 DF018 "HEALTHCHECK runs `curl` but node:22-slim has no curl"
    CMD curl -fsS http://127.0.0.1:3000/health || exit 1
CMD ["node", "dist/server.js"]
