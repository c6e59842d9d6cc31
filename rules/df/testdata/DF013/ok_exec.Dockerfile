# Near miss: exec form; a shell form only in a build stage.
FROM node:22-slim AS build
CMD npm run build

FROM node:22-slim
WORKDIR /app
CMD ["node", "server.js"]
