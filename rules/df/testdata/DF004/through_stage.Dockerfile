FROM node:lts AS base
WORKDIR /app
COPY package.json package-lock.json ./

FROM base AS build
RUN npm ci && npm run build

# want +1 DF004 "builds on stage \"base\", which runs on the full image `node:lts`"
FROM base AS runtime
RUN npm ci --omit=dev
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
