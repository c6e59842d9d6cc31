FROM node:22-alpine
RUN apk add --no-cache tini
WORKDIR /app
COPY . .
ENTRYPOINT ["/sbin/tini", "--"]
# An init in front does not help: yarn still stands between it and node.
# want +1 DF014 "runs `yarn run start`: yarn is the main process"
CMD ["yarn", "run", "start"]
