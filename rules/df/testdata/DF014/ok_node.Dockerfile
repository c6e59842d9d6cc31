# Near misses: node started directly, a package manager only before it,
# package managers used only at build time.
FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev && npm run build
ENTRYPOINT ["sh", "-c", "npm run migrate && exec node dist/server.js"]
