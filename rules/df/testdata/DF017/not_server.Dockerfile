# A build-only image with no port and no command: not a server.
FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci && npm run build
