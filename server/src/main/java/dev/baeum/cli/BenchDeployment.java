package dev.baeum.cli;

import dev.baeum.App;
import dev.baeum.base.config.Settings;
import dev.baeum.runtime.sandbox.DockerEngine;
import dev.baeum.runtime.sandbox.RunSpec;
import dev.baeum.services.sessions.LabRuns;

/** One throwaway deployment of the benchmark; closing it removes every container it started. */
record BenchDeployment(App app, String base) implements AutoCloseable {

    /** @param warmLab the lab whose image is built and whose warm container is wanted from the start */
    static BenchDeployment start(Settings settings, DockerEngine engine, String warmLab) throws Exception {
        App app = App.start(settings, engine);
        RunSpec lab = LabRuns.of(app.core().labs().find(warmLab).orElseThrow());
        String image = app.runtime().images().await(lab.image());
        app.runtime().launcher().warm(lab, image);
        return new BenchDeployment(app, "http://localhost:" + app.port());
    }

    @Override
    public void close() {
        app.runtime().reaper().purge();
        app.close();
    }
}
