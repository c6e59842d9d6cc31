FROM node:22-slim AS build
WORKDIR /app
# want +1 DF035 "COPY copies \"node_modules\" from the build context"
COPY node_modules ./node_modules
# want +1 DF035 "ADD copies \"packages/api/node_modules/\""
ADD packages/api/node_modules/ ./packages/api/node_modules/
# want +1 DF035 "COPY copies \"./node_modules/.prisma\""
COPY --chown=node:node package.json \
     ./node_modules/.prisma ./

FROM node:22-slim
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
# want +1 DF035 "\"node_modules\""
COPY ["dist", "node_modules", "./"]
CMD ["node", "dist/server.js"]
