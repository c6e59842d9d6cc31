FROM node:22-slim AS base
# Legacy `ENV key value` form, inherited by the final stage.
ENV NODE_ENV production
WORKDIR /app

FROM base AS build
RUN npm ci && npm run build

FROM base
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
