FROM node:22-slim
USER node
# want +1 DF040 "`sudo apt-get update` uses sudo: build steps already run as the user `USER` sets.* [(]and 1 more sudo command in this RUN[)]"
RUN sudo apt-get update && sudo -E apt-get install -y tini
# want +2 DF040 "`/usr/bin/sudo -u node npm ci` switches to node with sudo"
RUN set -e; \
    /usr/bin/sudo -u node npm ci
# want +1 DF040 "`sudo chown node /app`"
RUN ["sudo", "chown", "node", "/app"]
CMD ["node", "server.js"]
