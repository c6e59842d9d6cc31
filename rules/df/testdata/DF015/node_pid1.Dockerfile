FROM node:22-slim
WORKDIR /app
COPY . .
USER node
# want +1 DF015 "`node server.js` runs as PID 1 with no init"
CMD ["node", "server.js"]
