# Near miss: one of each per stage; the same instruction in different stages.
FROM node:22-slim AS build
CMD ["npm", "run", "build"]

FROM node:22-slim
HEALTHCHECK NONE
ENTRYPOINT ["tini", "--"]
CMD ["node", "server.js"]
