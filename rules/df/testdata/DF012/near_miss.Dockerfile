FROM node:22-slim
WORKDIR /app
COPY --chown=node:node package*.json ./
RUN npm ci --omit=dev
# The directory is created here, not copied.
RUN mkdir -p /app/uploads /var/log/app && chown -R node:node /app/uploads /var/log/app
# Not recursive.
RUN chown node:node /app
# A child of a copy destination: only what the COPY put there is copied.
COPY --chown=node:node src ./src
RUN chmod -R g+w /app/src/cache
# A path relative to a directory the RUN changes into.
RUN cd /tmp && chown -R node .
# chmod with a symbolic mode that starts with a dash is a mode, not a flag.
RUN chmod -x /app/server.js
USER node
CMD ["node", "server.js"]
