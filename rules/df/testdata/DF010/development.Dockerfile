FROM node:22-slim
# want +1 DF010 "NODE_ENV is set to \"development\""
ENV NODE_ENV="development" \
    PORT=3000
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
