# Near miss: plain JavaScript with production dependencies only: the whole
# directory is the app.
FROM node:22-slim AS base
ENV NODE_ENV=production
WORKDIR /app

FROM base AS build
COPY package.json package-lock.json ./
RUN npm ci
COPY . .

FROM base
COPY --from=build /app /app
CMD ["node", "server.js"]
