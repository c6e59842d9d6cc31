FROM node:22-slim
ENV PORT=3000 NODE_ENV="production"
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
