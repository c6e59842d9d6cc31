FROM node:22-alpine
COPY server.js /srv/app/server.js
# want +1 DF012 "rewrites files that COPY on line 2 copied into /srv/app"
RUN ["chown", "-R", "node", "/srv/app"]
CMD ["node", "/srv/app/server.js"]
