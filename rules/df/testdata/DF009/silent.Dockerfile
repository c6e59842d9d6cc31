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

# Node 14 from a tarball ships npm 6.
FROM ubuntu:24.04
RUN curl -fsSLO https://nodejs.org/dist/v14.21.3/node-v14.21.3-linux-x64.tar.gz \
 && tar xzf node-v14.21.3-linux-x64.tar.gz -C /usr/local --strip-components=1
RUN npm install --production

FROM node:22-slim AS npm6
RUN npm install -g npm@6
RUN npm ci --only=production
