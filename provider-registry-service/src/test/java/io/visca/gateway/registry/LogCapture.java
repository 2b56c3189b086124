package io.visca.gateway.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What a class logs while some work runs, as formatted lines (JBoss Logging goes through java.util.logging). */
public final class LogCapture {

    private LogCapture() {
    }

    /** Runs {@code work} and answers the lines {@code source}'s logger wrote meanwhile. */
    public static List<String> of(Class<?> source, Runnable work) {
        return of(source.getName(), work);
    }

    /** Runs {@code work} and answers the lines the logger {@code name} and those below it wrote meanwhile. */
    public static List<String> of(String name, Runnable work) {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                Object[] params = record.getParameters();
                logged.add(params == null ? record.getMessage() : String.format(record.getMessage(), params));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(name);
        logger.addHandler(handler);
        try {
            work.run();
        } finally {
            logger.removeHandler(handler);
        }
        return logged;
    }
}
