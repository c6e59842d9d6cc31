# Near miss: a JavaScript entry file is not a shell script.
FROM node:22-slim
WORKDIR /app
COPY . .
ENTRYPOINT ["/app/docker-entrypoint.js"]
