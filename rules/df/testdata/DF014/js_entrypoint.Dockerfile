FROM node:22-slim
WORKDIR /app
COPY . .
# An ENTRYPOINT seaworthy does not know still runs the CMD.
ENTRYPOINT ["litefs", "mount", "--", "/app/docker-entrypoint.js"]
# want +1 DF014 "runs `npx remix-serve ./build/index.js`: npx is the main process"
CMD ["npx", "remix-serve", "./build/index.js"]
