FROM node:22-slim AS base
WORKDIR /app
HEALTHCHECK --start-period=10s CMD ["node", "healthcheck.js"]

FROM base AS build
COPY . .
RUN npm ci && npm run build

# The HEALTHCHECK of stage "base" is inherited.
FROM base
COPY --from=build /app/dist ./dist
EXPOSE 3000
CMD ["node", "dist/server.js"]
