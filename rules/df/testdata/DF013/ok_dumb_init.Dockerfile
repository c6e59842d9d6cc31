FROM node:22-slim
WORKDIR /app
ENTRYPOINT ["dumb-init", "--rewrite", "15:2", "--"]
CMD node server.js --port $PORT
# A shell-form build step is not a command.
RUN echo built
