# Only the final stage counts: the build stage's shell form is not reported.
FROM node:22-slim AS build
WORKDIR /app
CMD npm run dev

FROM node:22-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
USER node
# want +1 DF013 "CMD `node dist/server.js` is in shell form"
CMD node dist/server.js
