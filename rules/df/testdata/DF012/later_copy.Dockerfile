FROM node:22-slim
WORKDIR /app
RUN chown -R node:node /app
COPY --chown=node:node . .
CMD ["node", "server.js"]
