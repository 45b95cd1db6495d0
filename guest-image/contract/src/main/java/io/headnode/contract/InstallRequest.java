package io.headnode.contract;

import io.headnode.common.kv.FieldException;
import io.headnode.common.kv.KvFile;
import io.headnode.common.kv.KvLines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request to (re)install nodes, written by the host as {@code requests/<id>.install} in the share.
 * Content: one MAC per line, or the single word {@code all}; optionally {@code image = NAME} (an image of the host's
 * catalog, {@link ImageCatalog}: the request then uses the {@value #IMAGE_PROFILE} profile instead of the VLAN's
 * {@code install-profile}) and {@code target-disk = /dev/...} (the disk the image goes to; only with {@code image};
 * default: the node's first disk). The id is unique; the agent runs each id once.
 */
public record InstallRequest(String id, boolean all, List<MacAddress> macs, Optional<ImageName> image, Optional<TargetDisk> targetDisk) {
    public static final String DIRECTORY = "requests";
    public static final String SUFFIX = ".install";
    /** The profile of a request that names an image. */
    public static final String IMAGE_PROFILE = "image";
    /** The size bound of a request file. */
    public static final int MAX_BYTES = 1 << 20;
    /** Lines at most: each listed machine once (or {@code all}), plus image and target-disk. */
    public static final int MAX_LINES = MachineList.MAX_MACHINES + 2;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public InstallRequest {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("request id '" + (id == null ? "" : MacAddress.printable(id)) + "' must be 1-64 of [A-Za-z0-9_.-]");
        }
        macs = List.copyOf(macs);
        Objects.requireNonNull(image, "image is null");
        Objects.requireNonNull(targetDisk, "targetDisk is null");
        if (all == !macs.isEmpty()) {
            throw new IllegalArgumentException("a request names either 'all' or at least one MAC");
        }
        if (targetDisk.isPresent() && image.isEmpty()) {
            throw new FieldException(TargetDisk.FIELD, "given without image (a target disk is for image installs)");
        }
    }

    /** A request with the VLAN's install profile (no image). */
    public InstallRequest(String id, boolean all, List<MacAddress> macs) {
        this(id, all, macs, Optional.empty(), Optional.empty());
    }

    public String fileName() {
        return id + SUFFIX;
    }

    /** The profile this request asks for: {@value #IMAGE_PROFILE} with an image, else empty (the VLAN's profile). */
    public Optional<String> profile() {
        return image.map(i -> IMAGE_PROFILE);
    }

    public static InstallRequest parse(String file, String id, byte[] content) throws ShareFormatException {
        List<MacAddress> macs = new ArrayList<>();
        boolean all = false;
        Optional<ImageName> image = Optional.empty();
        Optional<TargetDisk> disk = Optional.empty();
        int imageLine = 0;
        int diskLine = 0;
        for (KvLines.Line line : ShareFormatException.lines(file, content, MAX_BYTES, MAX_LINES)) {
            String text = line.text();
            int eq = text.indexOf('=');
            if (eq >= 0) {
                String key = text.substring(0, eq).strip();
                String value = text.substring(eq + 1).strip();
                try {
                    switch (key) {
                        case ImageName.FIELD -> {
                            if (imageLine > 0) {
                                throw new ShareFormatException(file, line.number(), key, "given twice (first on line " + imageLine + ")");
                            }
                            image = Optional.of(ImageName.parse(value));
                            imageLine = line.number();
                        }
                        case TargetDisk.FIELD -> {
                            if (diskLine > 0) {
                                throw new ShareFormatException(file, line.number(), key, "given twice (first on line " + diskLine + ")");
                            }
                            disk = Optional.of(TargetDisk.parse(value));
                            diskLine = line.number();
                        }
                        default -> throw new ShareFormatException(file, line.number(), MacAddress.printable(key), "unknown key (known: image, target-disk)");
                    }
                } catch (FieldException e) {
                    throw new ShareFormatException(file, line.number(), e.field(), e.problem());
                }
                continue;
            }
            if (text.equals("all")) {
                all = true;
                continue;
            }
            if (macs.size() == MachineList.MAX_MACHINES) {
                throw new ShareFormatException(file, line.number(), "mac", "more than " + MachineList.MAX_MACHINES + " MACs");
            }
            try {
                macs.add(MacAddress.parse(text));
            } catch (IllegalArgumentException e) {
                throw new ShareFormatException(file, line.number(), "mac", e.getMessage());
            }
        }
        try {
            return new InstallRequest(id, all, macs, image, disk);
        } catch (FieldException e) {
            throw new ShareFormatException(file, diskLine, e.field(), e.problem());
        } catch (IllegalArgumentException e) {
            throw new ShareFormatException(file, 0, "request", e.getMessage());
        }
    }

    public byte[] render() {
        StringBuilder b = new StringBuilder();
        image.ifPresent(i -> b.append(KvFile.line(ImageName.FIELD, i.value())));
        targetDisk.ifPresent(d -> b.append(KvFile.line(TargetDisk.FIELD, d.path())));
        if (all) {
            b.append("all\n");
        }
        macs.forEach(m -> b.append(m).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
