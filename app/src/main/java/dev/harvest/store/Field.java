package dev.harvest.store;

import com.fasterxml.jackson.core.JsonPointer;

/**
 * One output column: a name and where its value comes from.
 *
 * @param name    the column name (CSV header, JSON key)
 * @param pointer the JSON Pointer into the record, or {@code null} when the column is the input ID
 */
public record Field(String name, JsonPointer pointer) {

    /** Whether this column is the input ID ({@code name={id}}). */
    public boolean isInputId() {
        return pointer == null;
    }
}
