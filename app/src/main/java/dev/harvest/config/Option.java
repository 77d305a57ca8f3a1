package dev.harvest.config;

/**
 * One documented setting. The same key is used as the flag ({@code --key}), the config-file key
 * and, upper-cased with {@code _} for {@code -}, the environment variable ({@code HARVEST_KEY}).
 *
 * @param key          the setting's name, e.g. {@code concurrency}
 * @param defaultValue the built-in default, or {@code null} when the setting has none
 * @param valueName    what the value looks like in help text ({@code N}, {@code DURATION}); empty
 *                     for a switch that takes no value on the command line
 * @param help         one sentence for {@code --help} and the README
 * @param repeatable   whether several values add up (e.g. {@code --header})
 * @param group        the topic the help, the man page and the options reference list it under
 */
public record Option(String key, String defaultValue, String valueName, String help,
                     boolean repeatable, OptionGroup group) {

    /** This setting listed under {@code group}. */
    Option in(OptionGroup group) {
        return new Option(key, defaultValue, valueName, help, repeatable, group);
    }

    /** Whether this setting is a switch: {@code --key} alone means true. */
    public boolean isSwitch() {
        return valueName.isEmpty();
    }

    /** The environment variable that sets this option. */
    public String envName() {
        return "HARVEST_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
