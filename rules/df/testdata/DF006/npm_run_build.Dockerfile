ARG NODE_VERSION=22
FROM node:${NODE_VERSION}-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
# Only the first build step is reported.
# want +2 DF006 "single-stage Dockerfile runs the build step `npm run build:prod`"
RUN echo building && \
    npm run build:prod
RUN npx tsc
CMD ["node", "dist/server.js"]
