FROM node:22-slim
WORKDIR /app
COPY . .
CMD ["npm", "start"]
# Only the last CMD takes effect.
CMD ["node", "server.js"]
