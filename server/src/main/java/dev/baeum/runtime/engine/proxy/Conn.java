package dev.baeum.runtime.engine.proxy;

import java.io.IOException;
import java.io.InputStream;

/** The learner's client connection, for handlers that take it over (attach, exec). */
interface Conn {

    /** The client's bytes after the request just read: stdin of an attach or exec. */
    InputStream rawIn();

    /** Tells the client no more output is coming, keeping the connection open for its side. */
    void shutdownOutput() throws IOException;
}
