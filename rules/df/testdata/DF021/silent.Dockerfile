FROM node:22-slim AS glob
WORKDIR /app
COPY package*.json ./
RUN npm ci

FROM node:22-slim AS named
WORKDIR /app
COPY package.json yarn.lock* .yarnrc.yml ./
RUN yarn install --immutable
COPY ["package.json", "pnpm-lock.yaml", "./"]
RUN pnpm install --frozen-lockfile

FROM node:22-slim AS whole
WORKDIR /app
COPY . .
RUN npm ci && yarn --frozen-lockfile

FROM node:22-slim AS dir
WORKDIR /app
# The app directory may hold its lockfile.
COPY apps/api/ ./
RUN npm ci

FROM node:22-slim AS mount
WORKDIR /app
RUN --mount=type=bind,source=package.json,target=package.json \
    --mount=type=bind,source=package-lock.json,target=package-lock.json \
    npm ci
RUN --mount=type=bind,target=. pnpm install --frozen-lockfile

FROM node:22-slim AS clone
WORKDIR /app
RUN git clone https://example.com/app.git . && npm ci

FROM glob AS inherited
RUN npm ci --omit=dev

FROM node:22-slim
WORKDIR /app
COPY --from=whole /app /app
RUN npm ci --omit=dev
# An install that adds named packages needs no lockfile.
RUN npm install -g pm2
CMD ["node", "server.js"]
