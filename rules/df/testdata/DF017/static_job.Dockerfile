# Not a Node stage and no port.
FROM alpine:3.20
COPY backup.sh /usr/local/bin/backup.sh
CMD ["/usr/local/bin/backup.sh"]
