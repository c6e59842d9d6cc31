FROM node:22-slim
WORKDIR /app
COPY . .
USER node
EXPOSE 3000
# want +1 DF019 "HEALTHCHECK has no `--start-period`"
HEALTHCHECK --interval=30s --timeout=3s \
    CMD ["node", "healthcheck.js"]
# A second one (only the last counts, DF034's business) is checked too.
# want +1 DF019 "no `--start-period`"
HEALTHCHECK CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "server.js"]
