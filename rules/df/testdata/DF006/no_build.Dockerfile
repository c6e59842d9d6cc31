FROM node:22-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
RUN npm run test && npm run lint && yarn --version && npx tsc --version && npm run prebuild-check
CMD ["node", "server.js"]
