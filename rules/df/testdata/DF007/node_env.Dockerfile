FROM node:22-slim AS base
ENV NODE_ENV=production

FROM base
WORKDIR /app
COPY package*.json ./
RUN npm ci
RUN export NODE_ENV=production; npm install
CMD ["node", "server.js"]
