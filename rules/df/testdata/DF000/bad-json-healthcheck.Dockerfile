# want +1 DF000 "FROM"
RUN echo no from
