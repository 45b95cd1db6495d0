package io.headnode.contract;

/** An 802.1Q VLAN id, 1..4094 (0 and 4095 are reserved by the standard). */
public record Vlan(int id) implements Comparable<Vlan> {
    public static final int MIN = 1;
    public static final int MAX = 4094;

    public Vlan {
        if (id < MIN || id > MAX) {
            throw new IllegalArgumentException("VLAN " + id + " is outside " + MIN + ".." + MAX);
        }
    }

    public static Vlan parse(String text) {
        try {
            return new Vlan(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("VLAN '" + text + "' is not a number");
        }
    }

    @Override
    public int compareTo(Vlan other) {
        return Integer.compare(id, other.id);
    }

    @Override
    public String toString() {
        return Integer.toString(id);
    }
}
