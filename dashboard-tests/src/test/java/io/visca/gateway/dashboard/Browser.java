package io.visca.gateway.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven by Selenium: Debian's {@code chromium} and {@code chromium-driver} at the paths the
 * module's surefire configuration names ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}), never a browser
 * Selenium Manager would download. When they are missing, {@code install-browser.sh} installs them; when that fails the
 * tests fail with how to install them. 1280x900, {@code --no-sandbox} when running as root.
 */
final class Browser {

    private static final Duration INSTALL_WITHIN = Duration.ofMinutes(10);

    private Browser() {
    }

    static WebDriver start() {
        File chromium = new File(property("dashboard.chromium"));
        File chromedriver = new File(property("dashboard.chromedriver"));
        ensureInstalled(chromium, chromedriver);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().withLogFile(Path.of("target", "chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--window-size=1280,900", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--lang=en-US");
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox"); // Chromium's sandbox refuses to run as root
        }
        // a confirm() the dashboard may raise is the test's to answer, not auto-dismissed
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Saves what the browser shows to {@code target/screenshots/<name>.png}. */
    static Path screenshot(WebDriver driver, String name) {
        Path file = Path.of(property("dashboard.screenshots"), name + ".png");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("saving screenshot " + file + " failed", e);
        }
        return file;
    }

    private static void ensureInstalled(File chromium, File chromedriver) {
        if (chromium.canExecute() && chromedriver.canExecute()) {
            return;
        }
        String script = property("dashboard.install-browser");
        Path log = Path.of("target", "install-browser.log").toAbsolutePath();
        String failure;
        try {
            Files.createDirectories(log.getParent());
            Process install = new ProcessBuilder("bash", script).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!install.waitFor(INSTALL_WITHIN.toMinutes(), TimeUnit.MINUTES)) {
                install.destroyForcibly();
                failure = "it did not finish within " + INSTALL_WITHIN.toMinutes() + " minutes";
            } else if (install.exitValue() != 0) {
                failure = "it exited with " + install.exitValue();
            } else {
                failure = null;
            }
        } catch (IOException e) {
            failure = "it could not be run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (failure == null && chromium.canExecute() && chromedriver.canExecute()) {
            return;
        }
        String missing = (chromium.canExecute() ? "" : "Chromium (" + chromium + ") ")
                + (chromium.canExecute() || chromedriver.canExecute() ? "" : "and ")
                + (chromedriver.canExecute() ? "" : "ChromeDriver (" + chromedriver + ")");
        throw new IllegalStateException("The dashboard's browser tests need " + missing.trim() + ", and " + script
                + " could not install it (" + (failure != null ? failure : "still missing after it ran")
                + "; its output: " + log + "). Install Debian's packages as root: apt-get install -y chromium "
                + "chromium-driver (or run dashboard-tests/install-browser.sh), then run the tests again.");
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("-D" + name + " is not set: run these tests through Maven "
                    + "(./mvnw verify -pl dashboard-tests -am), whose surefire configuration sets it");
        }
        return value;
    }
}
