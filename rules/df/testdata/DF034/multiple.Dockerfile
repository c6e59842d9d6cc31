FROM node:22-slim AS build
WORKDIR /app
# want +1 DF034 "only the last CMD, on line 5, takes effect"
CMD ["npm", "run", "dev"]
CMD ["npm", "run", "build"]

FROM node:22-slim
WORKDIR /app
# want +1 DF034 "stage #1 has more than one HEALTHCHECK: only the last HEALTHCHECK, on line 11, takes effect"
HEALTHCHECK CMD node healthcheck.js
HEALTHCHECK --interval=30s --start-period=10s CMD node healthcheck.js
# want +1 DF034 "only the last ENTRYPOINT, on line 14, takes effect"
ENTRYPOINT ["tini", "--"]
ENTRYPOINT ["dumb-init", "--"]
# want +1 DF034 "only the last CMD, on line 17, takes effect"
CMD ["node", "migrate.js"]
CMD ["node", "server.js"]
