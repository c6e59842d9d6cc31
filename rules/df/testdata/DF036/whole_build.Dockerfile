FROM node:22 AS build
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:22-slim
WORKDIR /app
# want +1 DF036 "copies `/usr/src/app/`, the whole working directory of stage \"build\", bringing the sources next to the build output and devDependencies"
COPY --from=build --chown=node:node /usr/src/app/ ./
USER node
CMD ["node", "dist/server.js"]
