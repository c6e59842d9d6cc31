FROM node:22-alpine AS builder
WORKDIR /app
COPY . .
RUN npm ci && npx tsc -p . && npm prune --omit=dev

FROM node:22-alpine
WORKDIR /app
# `.` in COPY --from is the root of the stage's filesystem.
# want +1 DF036 "copies `.`, the whole filesystem of stage \"builder\", bringing the sources next to the build output$"
COPY --from=builder . .
CMD ["node", "dist/server.js"]
