# npm 6 (Node 14) has no --omit: --only=production is right there.
FROM node:14-alpine AS old
WORKDIR /app
COPY package*.json ./
RUN npm ci --only=production

FROM node:22-slim
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --production --frozen-lockfile
RUN pnpm install --prod --frozen-lockfile
RUN npm ci --omit=dev
RUN npm run build -- --production
RUN echo --production
CMD ["node", "server.js"]
