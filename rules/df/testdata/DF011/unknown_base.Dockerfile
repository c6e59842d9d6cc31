# An unknown base is assumed to keep Docker's default user, root.
# want +1 DF011 "has no USER instruction"
FROM ghcr.io/acme/runtime:2.3
COPY app /app
CMD ["/app/run"]
