FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build
# A healthcheck in an unrelated build stage does not reach the final image.
HEALTHCHECK --start-period=5s CMD ["node", "-e", "process.exit(0)"]

# want +1 DF017 "the final stage \"runtime\" exposes port 3000 but has no HEALTHCHECK"
FROM node:22-slim AS runtime
WORKDIR /app
COPY --from=build /app/dist ./dist
EXPOSE 3000
USER node
CMD ["node", "dist/server.js"]
