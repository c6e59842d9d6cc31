# Near misses: specific outputs; the whole directory of a production deps
# stage; an external image; a non-final stage.
FROM node:22 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:22 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM build AS test
COPY --from=build /app /tmp/copy

FROM node:22-slim
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/.next/standalone ./
COPY --from=busybox:1.36 /bin/wget /usr/local/bin/wget
CMD ["node", "dist/server.js"]
