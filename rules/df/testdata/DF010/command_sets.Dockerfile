FROM node:22-slim
WORKDIR /app
COPY . .
CMD NODE_ENV=production node server.js
