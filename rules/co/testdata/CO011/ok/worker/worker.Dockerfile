FROM node:22-slim AS base
HEALTHCHECK --interval=5s CMD node healthcheck.js
FROM base
CMD ["node", "worker.js"]
