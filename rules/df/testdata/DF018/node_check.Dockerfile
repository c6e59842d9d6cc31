# A node-based check needs no extra tool; a curl in the URL is not the command.
FROM gcr.io/distroless/nodejs22-debian12:nonroot
COPY app /app
HEALTHCHECK --start-period=5s CMD ["/nodejs/bin/node", "-e", "fetch('http://127.0.0.1:3000/curl').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["/app/server.js"]
