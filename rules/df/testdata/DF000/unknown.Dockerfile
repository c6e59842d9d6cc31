FROM node:22-slim
# want +1 DF000 "unknown instruction: RUNN"
RUNN npm ci
CMD ["node", "server.js"]
