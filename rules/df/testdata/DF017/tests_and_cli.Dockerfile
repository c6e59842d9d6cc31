# A command-line tool: the CMD is only default flags.
FROM node:22-slim
WORKDIR /app
COPY . /app
ENTRYPOINT ["node", "/app/cli.js"]
CMD ["--help"]
